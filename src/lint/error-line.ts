/** The first line of an error's message: one line per problem, whatever the error held. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  return text.split(/\r?\n/)[0];
}
