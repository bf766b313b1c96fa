/** The current Unix time in whole seconds: the default issue time of a build and `now` of a verify. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
