/**
 * Test data for the dashboard's end-to-end test: a small dataset in the medical-reasoning format (exactly the shape of
 * ../shared/data/medical-reasoning-test93.jsonl), written for this test, and a small RFC 4180 CSV reader for the export.
 */

const INSTRUCTION =
  "Please answer with one of the option in the bracket. Write reasoning in between <analysis></analysis>. Write answer in between <answer></answer>.";

type Case = { caseText: string; options: Record<string, string>; answer: string; analysis: string };

/**
 * Six cases. The Ollama stand-in has no recording for them, so both models get its made-up reply, which always
 * answers B: the three B references are answered right by both models, the A, C and D ones wrong by both.
 */
export const CASES: Case[] = [
  {
    caseText:
      "A 30-year-old woman has fatigue, cold intolerance, weight gain and constipation for 3 months. TSH is elevated and free T4 is low. Antithyroid peroxidase antibodies are positive. Which of the following is the most likely cause?",
    options: { A: "Graves disease", B: "Hashimoto thyroiditis", C: "Pituitary adenoma", D: "Subacute thyroiditis" },
    answer: "B",
    analysis:
      "Primary hypothyroidism with positive anti-TPO antibodies in a young woman points to chronic autoimmune thyroiditis.",
  },
  {
    caseText:
      "An 8-year-old boy has fever, sore throat and a fine sandpaper-like rash that started on the neck and spread to the trunk. His tongue is red with prominent papillae. Which of the following is the most likely diagnosis?",
    options: { A: "Scarlet fever", B: "Measles", C: "Kawasaki disease", D: "Rubella" },
    answer: "A",
    analysis:
      "Pharyngitis with a sandpaper rash and a strawberry tongue is typical of group A streptococcal scarlet fever.",
  },
  {
    caseText:
      "A 64-year-old man who has smoked for 40 years has a cough with blood-streaked sputum. Serum calcium is 12.4 mg/dL and PTH is low. Chest imaging shows a central hilar mass. Which of the following is the most likely tumour?",
    options: {
      A: "Small cell carcinoma",
      B: "Squamous cell carcinoma",
      C: "Adenocarcinoma",
      D: "Malignant mesothelioma",
      E: "Bronchial carcinoid",
    },
    answer: "B",
    analysis:
      "A central mass in a smoker with hypercalcemia from PTH-related peptide suggests squamous cell carcinoma.",
  },
  {
    caseText:
      "A 25-year-old man falls on an outstretched arm and has an anterior dislocation of the shoulder. After reduction he cannot abduct the arm beyond 15 degrees and has numbness over the lateral deltoid. Which nerve is most likely injured?",
    options: { A: "Radial nerve", B: "Musculocutaneous nerve", C: "Axillary nerve", D: "Ulnar nerve" },
    answer: "C",
    analysis:
      "The axillary nerve wraps around the surgical neck of the humerus and supplies the deltoid and the skin over it.",
  },
  {
    caseText:
      "A 58-year-old man has crushing chest pain for one hour. The ECG shows ST elevation in leads II, III and aVF with sinus bradycardia. Which artery is most likely occluded?",
    options: {
      A: "Left anterior descending artery",
      B: "Right coronary artery",
      C: "Left circumflex artery",
      D: "Left main coronary artery",
    },
    answer: "B",
    analysis:
      "An inferior infarction with bradycardia usually comes from the right coronary artery, which also supplies the SA and AV nodes.",
  },
  {
    caseText:
      "A 71-year-old man has painless jaundice, weight loss and pale stools. On examination the gallbladder is palpable and not tender. Which of the following is the most likely diagnosis?",
    options: {
      A: "Choledocholithiasis",
      B: "Acute cholecystitis",
      C: "Primary sclerosing cholangitis",
      D: "Carcinoma of the head of the pancreas",
    },
    answer: "D",
    analysis:
      "Painless jaundice with a palpable gallbladder (Courvoisier sign) suggests a malignant obstruction at the pancreatic head.",
  },
];

/** Python-dict literal of the options, as in the dataset's `input` (no apostrophes in the texts above). */
const pyDict = (options: Record<string, string>) =>
  `{${Object.entries(options)
    .map(([k, v]) => `'${k}': '${v}'`)
    .join(", ")}}`;

export function rowOf(c: Case): string {
  return JSON.stringify({
    instruction: INSTRUCTION,
    input: `Q:${c.caseText}? \n${pyDict(c.options)},`,
    output: `<analysis>\n${c.analysis}\n</analysis>\n<answer>\n${c.answer}: ${c.options[c.answer]}\n</answer>`,
  });
}

/** Line of the broken row in the file (1-based). Its input has no options literal, so the importer rejects it. */
export const BROKEN_LINE = 4;
const BROKEN_ROW = JSON.stringify({
  instruction: INSTRUCTION,
  input: "Q:A 40-year-old man has a headache. Which of the following is the most likely diagnosis?? \n",
  output: "<analysis>\nTension headache.\n</analysis>\n<answer>\nA: Tension headache\n</answer>",
});

/** The JSONL file: the six cases with the broken row at BROKEN_LINE. */
export function datasetJsonl(): string {
  const lines = CASES.map(rowOf);
  lines.splice(BROKEN_LINE - 1, 0, BROKEN_ROW);
  return `${lines.join("\n")}\n`;
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
