import { AskForm } from "@/components/ask/ask-form";
import { getConfig } from "@/lib/config";

// The default model comes from the server's environment at request time.
export const dynamic = "force-dynamic";

export default function HomePage() {
  return (
    <main className="mx-auto max-w-5xl space-y-6 px-4 py-6">
      <div>
        <h1 className="text-2xl font-semibold">Ask a clinical multiple-choice question</h1>
        <p
          className="mt-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          data-testid="disclaimer"
        >
          MedGPT is decision support for healthcare professionals. Its output can be wrong and is not a diagnosis or
          treatment advice. Do not enter information that identifies a patient.
        </p>
      </div>
      <AskForm defaultModel={getConfig().defaultModel} />
    </main>
  );
}
