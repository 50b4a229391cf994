/** One measured figure: printed as a table row and written to the JSON results. */
export interface BenchFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** What the figure is compared to, e.g. "target ≥ 1.0". */
  readonly note?: string;
}

export interface BenchPartResult {
  readonly figures: readonly BenchFigure[];
  /** Anything else worth keeping in the JSON (settings, raw samples). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A part of `npm run bench`: measures one thing and answers its figures. */
export interface BenchPart {
  /** What the command line selects it by (`npm run bench -- pipeline`). */
  readonly name: string;
  /** Which run of a part that runs once per MessageBus adapter (`platformatic`, `kafkajs`). */
  readonly variant?: string;
  readonly description: string;
  run(log: (line: string) => void): Promise<BenchPartResult>;
}
