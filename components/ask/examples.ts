import type { Options } from "@/lib/schemas/letters";

/** Example cases written for MedGPT's demo menu (not taken from any dataset). */
export const EXAMPLE_CASES: { title: string; caseText: string; options: Options }[] = [
  {
    title: "Chest pain after a long flight",
    caseText:
      "A 52-year-old woman comes to the emergency department 2 days after a 14-hour flight because of sudden shortness of breath and pleuritic chest pain. Her pulse is 118/min, respirations are 26/min, and oxygen saturation is 89% on room air. Her left calf is swollen and tender. Which of the following is the most appropriate next step in diagnosis?",
    options: {
      A: "CT pulmonary angiography",
      B: "Chest x-ray only",
      C: "Exercise stress test",
      D: "Serum troponin and discharge if normal",
      E: "Upper endoscopy",
    },
  },
  {
    title: "Thirst and weight loss in a teenager",
    caseText:
      "A 14-year-old boy is brought to the physician because of increased thirst, frequent urination, and a 4-kg weight loss over the past month. He appears tired. His fingerstick glucose is 412 mg/dL and urine dipstick shows ketones. Which of the following is the most likely underlying mechanism of his condition?",
    options: {
      A: "Peripheral insulin resistance",
      B: "Autoimmune destruction of pancreatic beta cells",
      C: "Excess cortisol secretion",
      D: "Deficiency of antidiuretic hormone",
    },
  },
  {
    title: "Confusion in a patient on lithium",
    caseText:
      "A 67-year-old man with bipolar disorder treated with lithium is brought to the clinic because of coarse tremor, diarrhea, and new confusion. Two weeks ago he started a new medication for hypertension. Which of the following drugs most likely precipitated his symptoms?",
    options: {
      A: "Amlodipine",
      B: "Hydrochlorothiazide",
      C: "Doxazosin",
    },
  },
];
