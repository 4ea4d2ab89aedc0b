import { describe, expect, it } from 'vitest';
import { secureWebPreferences } from './webPreferences.js';

describe('secureWebPreferences', () => {
  const prefs = secureWebPreferences('/opt/mosixview/preload.cjs');

  it('isolates the page context and sandboxes the renderer', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
  });

  it('gives no Node.js to the page, its workers or its subframes', () => {
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('forbids <webview> and keeps web security on, with no insecure content', () => {
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
  });

  it('sets the given preload script', () => {
    expect(prefs.preload).toBe('/opt/mosixview/preload.cjs');
    expect(secureWebPreferences('/elsewhere/p.cjs').preload).toBe('/elsewhere/p.cjs');
  });

  it('turns on nothing that weakens the sandbox', () => {
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
    // Every boolean that is true must be one of the hardening switches.
    const trueKeys = Object.entries(prefs)
      .filter(([, v]) => v === true)
      .map(([k]) => k)
      .sort();
    expect(trueKeys).toEqual(['contextIsolation', 'sandbox', 'webSecurity']);
  });
});
