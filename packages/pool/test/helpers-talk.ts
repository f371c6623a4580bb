/** The task functions of fixtures/talk-tasks.mjs (typed by talk-tasks.d.mts). */
import { moduleRef } from '@multiprocessing/pool';
import type * as TalkModule from './fixtures/talk-tasks.mjs';

export const talk = moduleRef<typeof TalkModule>(new URL('./fixtures/talk-tasks.mjs', import.meta.url));
