/** A text from outside (an error body, a label value) cut for a one-line message, saying how long it was. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}${cutNote(text)}`;
}

/** A value quoted as JSON for a message, cut like `clip` (the cut outside the quotes). */
export function quoteClipped(value: string, max: number): string {
  return value.length <= max ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, max))}${cutNote(value)}`;
}

const cutNote = (text: string) => `… (${text.length} characters)`;
