export class Process { isAlive(): boolean { return false; } }
