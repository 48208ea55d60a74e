// Runs in every test file: the synthetic captures a file wrote to /tmp go when the file is done.
import { afterAll } from 'vitest';
import { removeScratch } from './helpers/conversation.js';

afterAll(removeScratch);
