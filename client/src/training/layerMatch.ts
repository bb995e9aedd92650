// Matches a trained model's layers (tfjs names such as conv2d_Conv2D3) to the analyzer's layers of the same
// entry: by class, in order (the k-th Conv2D of one is the k-th Conv2D of the other). Pure, no vscode.

export interface SourceLayer { className: string; file: string; line: number; character: number }

/** The analyzer layer for `layer` of the trained model, when classes line up; else undefined. */
export function matchLayer(trained: { name: string; className: string }[], source: SourceLayer[], layer: string): SourceLayer | undefined {
  const target = trained.find((l) => l.name === layer);
  if (!target) return undefined;
  const ofClass = <T extends { className: string }>(list: T[]) => list.filter((l) => l.className === target.className);
  const [mine, theirs] = [ofClass(trained), ofClass(source)];
  // Different counts mean the analysis saw another model (or part of it): no guessing.
  if (mine.length !== theirs.length) return undefined;
  return theirs[mine.indexOf(target)];
}

