/**
 * Prints start-up progress: one line per step with its elapsed time. On a terminal the running
 * step shows a spinner; in CI or a pipe, lines only (no control characters in logs).
 */
export class StepReporter {
  private readonly started = Date.now();
  private readonly frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  async step<T>(label: string, work: () => Promise<T>): Promise<T> {
    const stepStarted = Date.now();
    const spinner = this.out.isTTY ? this.spin(label) : undefined;
    try {
      const result = await work();
      this.finish('✔', label, stepStarted, spinner);
      return result;
    } catch (error) {
      this.finish('✖', label, stepStarted, spinner);
      throw error;
    }
  }

  get elapsedSeconds(): string {
    return ((Date.now() - this.started) / 1000).toFixed(1);
  }

  private spin(label: string): NodeJS.Timeout {
    let frame = 0;
    return setInterval(() => {
      this.out.write(`\r${this.frames[frame++ % this.frames.length]} ${label}`);
    }, 100);
  }

  private finish(
    mark: string,
    label: string,
    stepStarted: number,
    spinner: NodeJS.Timeout | undefined,
  ): void {
    if (spinner) {
      clearInterval(spinner);
      this.out.write('\r\x1b[2K');
    }
    const seconds = ((Date.now() - stepStarted) / 1000).toFixed(1);
    this.out.write(`${mark} ${label} (${seconds}s)\n`);
  }
}
