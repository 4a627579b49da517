// Types of whole-command.mjs for the TypeScript benches.
export function timeCommand(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): { seconds: number; rssMb: number; stdout: string };
