/**
 * The command line's options, parsed once by main.ts and given to each command. Declared apart
 * from main.ts, which loads the commands, so that no command depends on main.ts.
 */
export interface CliOptions {
  config: string;
  /** Where the config path came from: the flag, SYNCLINE_CONFIG, the image's default, or the default. */
  configFrom: string;
  json: boolean;
  csv: boolean;
  fullResync: boolean;
  forceDeletes: boolean;
  limit: number;
  logLevel: string | undefined;
  run: string | undefined;
  /** `run --sequence <name>`. */
  sequence: string | undefined;
  channel: string | undefined;
}
