/**
 * boot.js, the page's first script (index.html, in its head): opens the connection to the main
 * process and sends a metric history window's first request while app.js is still loading
 * (bridge/earlyStart.ts says why). Kept small: it runs before app.js arrives.
 */
import { startEarly } from './bridge/earlyStart.js';

startEarly(window);
