/**
 * A lab file a trainer wrote is wrong. Each problem names the file, where in it (a JSON
 * pointer or line:column) and what is allowed, so the trainer can fix it without reading code.
 */
export class LabFileError extends Error {
  readonly problems: string[];

  constructor(file: string, problems: string[]) {
    super(problems.map((problem) => `${file}: ${problem}`).join('\n'));
    this.name = 'LabFileError';
    this.problems = problems;
  }
}
