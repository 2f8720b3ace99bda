/**
 * A cheap fingerprint of an event, to tell a repeated event from a new one when it carries no
 * id of its own (it then repeats the last event ID). Pure.
 */
export function eventFingerprint(type: string, data: string): number {
  const length = data.length;
  return (
    (length * 65599 +
      (length === 0 ? 0 : data.charCodeAt(0) * 257 + data.charCodeAt(length - 1)) +
      type.length * 7919) |
    0
  );
}
