export const MIGRATION_CLAUSES: Record<string, string> = {};
