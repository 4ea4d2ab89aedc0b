/** The history charts' levels and colours. */
/** Mosixload's levels: normal up to 50 %, yellow above, red above 80 (as the main window's bars, Bar.tsx toneOf). */
export const WARN = 50;
export const ALERT = 80;

/** Dark colours, one per node; yellow, red and blue are kept for load levels and checkpoints. */
const PALETTE = ['#222222', '#1f6b3a', '#6a2c91', '#7a4a16', '#0f6e6e', '#5a5a5a', '#3d5c1f', '#8a2f5e'];
export const nodeColour = (id: number) => PALETTE[(id - 1 + PALETTE.length * 100) % PALETTE.length]!;
export const WARN_COLOUR = '#e0c020';
export const ALERT_COLOUR = '#d03030';
export const CHECKPOINT_COLOUR = '#1f4fd8';
export const GRID_COLOUR = '#e4e4e4';
