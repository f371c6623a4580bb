/**
 * Paths inside a value being sent, for the messages of PicklingError
 * (`args[1].handlers[0]`). Steps are cheap objects made while scanning;
 * text is made only when an error needs it.
 */
export interface PathStep {
  readonly up: PathStep | undefined;
  readonly key: string | number;
  readonly kind: 'index' | 'prop' | 'mapKey' | 'mapValue' | 'setValue';
}

export function renderPath(step: PathStep | undefined, label: string): string {
  const parts: string[] = [];
  for (let s = step; s !== undefined; s = s.up) {
    switch (s.kind) {
      case 'index':
        parts.push(`[${String(s.key)}]`);
        break;
      case 'prop':
        parts.push(`.${String(s.key)}`);
        break;
      case 'mapKey':
        parts.push(`.keys()[${String(s.key)}]`);
        break;
      case 'mapValue':
        parts.push(`.values()[${String(s.key)}]`);
        break;
      case 'setValue':
        parts.push(`.values()[${String(s.key)}]`);
        break;
    }
  }
  return label + parts.reverse().join('');
}
