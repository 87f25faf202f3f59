import { z } from "zod";

/**
 * The dataset formats the importer accepts, declared once. The importer's readers are keyed by this list
 * (eval/datasets/import.ts checks they cover it), and the stored/API `format` field is its enum.
 */
export const DATASET_FORMATS = ["medical-reasoning", "medqa", "mcq-csv"] as const;
export const DatasetFormatSchema = z.enum(DATASET_FORMATS);
export type DatasetFormat = z.infer<typeof DatasetFormatSchema>;
