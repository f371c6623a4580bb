/** The key of a queue's shared ring, for the queue kinds and the owner's side of their remote use. */
export const kRing = Symbol('ring');
