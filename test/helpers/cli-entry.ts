// Runs the CLI from source, as bin/ciscophone.js runs the built one.
import { main } from '../../src/cli.js';

process.exitCode = await main(process.argv.slice(2));
