// cdktf's jest matchers (toHaveResource, toHaveResourceWithProperties, …), for the suites that use them.
// Imported by those suites, not set up in setup.ts for every file: most suites use none, and those that
// do not synthesize would load cdktf for nothing (~45 ms of CPU per file, measured).
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();
