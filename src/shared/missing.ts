/** Something a verdict had to do without, said precisely: which query, and which leg if one. */
export interface MissingItem {
  refId: string;
  leg?: string;
  text: string;
}
