/**
 * The vote matrix: participants x statements, sparse. Stored twice, with flat typed arrays:
 * - CSR by participant: the votes of participant i are entries rowPtr[i] .. rowPtr[i+1]-1 of
 *   colIdx (statement index) and values (-1, 0, +1), statement indices ascending;
 * - CSC by statement: the votes on statement j are entries colPtr[j] .. colPtr[j+1]-1 of rowIdx
 *   (participant index) and colValues, participant indices ascending.
 * A missing cell means "did not vote"; 0 means "passed".
 */

export interface VoteMatrix {
  participantIds: string[];
  statementIds: string[];
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Int8Array;
  colPtr: Int32Array;
  rowIdx: Int32Array;
  colValues: Int8Array;
  /** Number of statements participant i voted on (passes included). */
  votesPerParticipant: Int32Array;
}

export interface MatrixVote {
  participantId: string;
  statementId: string;
  value: -1 | 0 | 1;
}

function indexOf(ids: string[]): Map<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) if (!index.has(ids[i])) index.set(ids[i], i);
  return index;
}

/**
 * Builds the matrix in O(votes + participants + statements) plus a sort of each participant's statements
 * (a stable counting sort by participant, then the latest vote per statement within each row). Votes with an unknown participant or statement id, or a value other than -1, 0, 1, are
 * ignored. When a (participant, statement) pair repeats, the last one in the array wins. An id listed
 * twice in participantIds / statementIds maps to its first position.
 */
export function buildMatrix(participantIds: string[], statementIds: string[], votes: MatrixVote[]): VoteMatrix {
  const nRows = participantIds.length;
  const nCols = statementIds.length;
  const rowOf = indexOf(participantIds);
  const colOf = indexOf(statementIds);

  const total = votes.length;
  const r = new Int32Array(total);
  const c = new Int32Array(total);
  const v = new Int8Array(total);
  let n = 0;
  let lastP: string | null = null;
  let lastRow = -1;
  let lastS: string | null = null;
  let lastCol = -1;
  for (let t = 0; t < total; t++) {
    const vote = votes[t];
    const value = vote.value;
    if (value !== 1 && value !== -1 && value !== 0) continue;
    if (vote.participantId !== lastP) {
      lastP = vote.participantId;
      lastRow = rowOf.get(lastP) ?? -1;
    }
    if (lastRow < 0) continue;
    if (vote.statementId !== lastS) {
      lastS = vote.statementId;
      lastCol = colOf.get(lastS) ?? -1;
    }
    if (lastCol < 0) continue;
    r[n] = lastRow;
    c[n] = lastCol;
    v[n] = value;
    n++;
  }

  // Stable counting sort by participant; then, row by row, the last vote on each statement wins and
  // the row's statements are put in ascending order.
  const order = new Int32Array(n);
  const rowPtr = new Int32Array(nRows + 1);
  {
    const start = new Int32Array(nRows + 1);
    for (let t = 0; t < n; t++) start[r[t] + 1]++;
    for (let i = 0; i < nRows; i++) start[i + 1] += start[i];
    rowPtr.set(start);
    for (let t = 0; t < n; t++) order[start[r[t]]++] = t;
  }
  const latest = new Int32Array(nCols); // vote index of the latest vote on a statement in the current row
  const mark = new Int32Array(nCols).fill(-1); // row that last touched the statement
  const colIdxTmp = new Int32Array(n);
  const valuesTmp = new Int8Array(n);
  let nnz = 0;
  for (let i = 0; i < nRows; i++) {
    const from = nnz;
    for (let u = rowPtr[i]; u < rowPtr[i + 1]; u++) {
      const t = order[u];
      const j = c[t];
      if (mark[j] !== i) {
        mark[j] = i;
        colIdxTmp[nnz++] = j;
      }
      latest[j] = t;
    }
    const cols = colIdxTmp.subarray(from, nnz);
    cols.sort();
    for (let e = from; e < nnz; e++) valuesTmp[e] = v[latest[colIdxTmp[e]]];
    rowPtr[i] = from;
  }
  rowPtr[nRows] = nnz;
  const colIdx = colIdxTmp.slice(0, nnz);
  const values = valuesTmp.slice(0, nnz);

  const votesPerParticipant = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) votesPerParticipant[i] = rowPtr[i + 1] - rowPtr[i];

  // CSC from CSR (rows visited in ascending order, so participant indices ascend in each column).
  const colPtr = new Int32Array(nCols + 1);
  for (let e = 0; e < nnz; e++) colPtr[colIdx[e] + 1]++;
  for (let j = 0; j < nCols; j++) colPtr[j + 1] += colPtr[j];
  const cursor = colPtr.slice(0, nCols);
  const rowIdx = new Int32Array(nnz);
  const colValues = new Int8Array(nnz);
  for (let i = 0; i < nRows; i++) {
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      const pos = cursor[colIdx[e]]++;
      rowIdx[pos] = i;
      colValues[pos] = values[e];
    }
  }

  return { participantIds, statementIds, rowPtr, colIdx, values, colPtr, rowIdx, colValues, votesPerParticipant };
}

/** Number of votes held (after duplicates are dropped). */
export function voteCount(m: VoteMatrix): number {
  return m.values.length;
}

/** Number of statements with at least one vote (Polis's rating matrix has only those columns). */
export function votedStatementCount(m: VoteMatrix): number {
  let count = 0;
  for (let j = 0; j < m.statementIds.length; j++) if (m.colPtr[j + 1] > m.colPtr[j]) count++;
  return count;
}

/** The vote of participant i on statement j, or null when there is none (binary search in the row). */
export function voteAt(m: VoteMatrix, i: number, j: number): -1 | 0 | 1 | null {
  let lo = m.rowPtr[i];
  let hi = m.rowPtr[i + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const col = m.colIdx[mid];
    if (col === j) return m.values[mid] as -1 | 0 | 1;
    if (col < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}
