/** The units a member may see and change: their own and its descendants. */
export interface Scope {
  unitId: number;
  unitIds: number[];
}
