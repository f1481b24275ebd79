export interface ConfigIssue {
  variable: string;
  problem: string;
}

/** Thrown at boot when the environment is missing or malformed; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(`Invalid configuration: ${issues.map((i) => `${i.variable} ${i.problem}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}
