// Runs in every test file: the temporary files a file wrote (helpers/temp.ts) go when it is done.
import { afterAll } from 'vitest';
import { removeScratch } from './helpers/temp.js';

afterAll(removeScratch);
