import Link from "next/link";
import { currentAdminState } from "@/components/admin/admin-gate";
import { AskForm } from "@/components/ask/ask-form";
import { BackendBanner } from "@/components/ask/backend-banner";
import { getConfig } from "@/lib/config";
import { catalogueEntry } from "@/lib/models/catalogue";

// The default model, the confidence bands and the admin session come from the server at request time.
export const dynamic = "force-dynamic";

export default async function HomePage() {
  const config = getConfig();
  const entry = catalogueEntry(config.modelCatalogue, config.defaultModel);
  // The link is a convenience for researchers already signed in; /admin does its own check.
  const isAdmin = (await currentAdminState()) === "admin";
  return (
    <main className="mx-auto max-w-5xl space-y-6 px-4 py-6">
      <BackendBanner />
      <div className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
          <h1 className="text-2xl font-semibold">Ask a clinical multiple-choice question</h1>
          {isAdmin ? (
            <Link
              href="/admin"
              className="rounded text-sm font-medium text-brand-700 underline underline-offset-2 hover:text-brand-600 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/40"
              data-testid="researcher-link"
            >
              Researcher area
            </Link>
          ) : null}
        </div>
        <p
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
          data-testid="disclaimer"
        >
          MedGPT is decision support for healthcare professionals. Its output can be wrong and is not a diagnosis or
          treatment advice. Do not enter information that identifies a patient.
        </p>
      </div>
      <AskForm
        defaultModel={config.defaultModel}
        defaultModelDescription={
          entry ? { label: entry.label, description: entry.description || null, comparison: entry.comparison } : null
        }
        thresholds={config.confidence}
        requireKey={config.askRequireKey}
      />
    </main>
  );
}
