/** Browsing a node's files (advanced execution's program chooser). */
export interface DirEntry {
  name: string;
  type: 'file' | 'dir' | 'link' | 'other';
  size: number;
  /** Executable by the agent's user. */
  executable: boolean;
}

export type FileAgentRequests = {
  /** Lists a directory on the node; "~" is the agent user's home. Hidden entries included. */
  'fs.list': { req: { path: string }; res: { path: string; entries: DirEntry[] } };
};
