import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

// Every page is rendered per request: the Content-Security-Policy (proxy.ts) carries a fresh nonce, which Next.js
// can put on its scripts only while rendering.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "MedGPT — medical multiple-choice reasoning",
  description: "Decision support for professionals: a fine-tuned Gemma 2 2B reasons through USMLE-style questions.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <header className="border-b border-slate-200 bg-white">
          <nav className="mx-auto flex max-w-5xl items-center gap-6 px-4 py-3" aria-label="Main">
            <Link href="/" className="text-lg font-semibold text-brand-700">
              MedGPT
            </Link>
            <Link href="/docs" className="text-sm text-slate-600 hover:text-slate-900">
              API docs
            </Link>
          </nav>
        </header>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
