/**
 * The `--report` outputs of `check` and `check-trace`: every place checked before the run
 * (outputPaths.ts), each report written once the run is judged.
 */
import { writeFileAtomic } from './atomicWrite.ts';
import type { ReportKind, ReportRequest } from './flags.ts';
import type { Io } from './io.ts';
import { checkOutFiles } from './outputPaths.ts';
import { UsageError } from './usageError.ts';

/** The `--report` flag of `check`, `check-trace` and `merge` (parsed by flags.ts `reportFlag`). */
export const reportFlagSpec = {
  type: 'string',
  multiple: true,
  value: 'KIND[=FILE]',
  description:
    'also write the report: json=FILE (as --json), junit=FILE (JUnit XML), tap=FILE (TAP 14), html=FILE (a page with a sequence diagram per counterexample), github (GitHub Actions annotations on stdout) or github=FILE',
} as const;

/** A checked `--report`: its kind and absolute file, or null for stdout. */
export interface ReportTarget {
  readonly kind: ReportKind;
  readonly file: string | null;
}

/**
 * Checks every `--report` before the run: each file writable, no two outputs on one path (nor
 * on `--out`), and `--report github` (stdout) not with `--json` (stdout is the JSON report
 * then). Reads the file system.
 *
 * @throws UsageError naming the flags at fault.
 * @example
 * await checkReportTargets(reportFlag(values.report ?? []), { json: false, folders: [] }, io.cwd);
 */
export async function checkReportTargets(
  requests: readonly ReportRequest[],
  options: { readonly json: boolean; readonly folders: readonly { flag: string; path: string }[] },
  cwd: string,
): Promise<ReportTarget[]> {
  if (options.json && requests.some((r) => r.kind === 'github' && r.file === null)) {
    throw new UsageError(
      '--report github writes to stdout, which --json fills with the JSON report; pass --report github=FILE',
    );
  }
  const files = requests.flatMap((r) =>
    r.file === null ? [] : [{ flag: `--report ${r.kind}=`, file: r.file }],
  );
  const resolved = await checkOutFiles(files, options.folders, cwd);
  let k = 0;
  return requests.map((r) => ({ kind: r.kind, file: r.file === null ? null : (resolved[k++] ?? null) }));
}

/**
 * Writes each report, its text made only when asked for: files atomically, `github` without
 * a file on `io.out`. Writes files.
 */
export async function writeReports(
  targets: readonly ReportTarget[],
  texts: Readonly<Record<ReportKind, () => string>>,
  io: Pick<Io, 'out'>,
): Promise<void> {
  for (const t of targets) {
    const text = texts[t.kind]();
    if (t.file === null) io.out(text);
    else await writeFileAtomic(t.file, text);
  }
}
