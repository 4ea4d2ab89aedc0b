/**
 * The history windows' File menu, as a desktop menu behaves (WAI-ARIA menu button): the
 * button "File" opens a menu whose items the arrow keys move through (Home, End too),
 * Enter or a click runs one, and Escape, Tab or a click elsewhere closes it, focus going
 * back to the button.
 */
import { Fragment, useEffect, useRef, useState, type KeyboardEvent } from 'react';

export interface MenuItem {
  label: string;
  run: () => void;
  disabled?: boolean;
  /** Why it is disabled. */
  title?: string;
  /** A line above it: the export items stand apart from the histories. */
  separated?: boolean;
}

export function FileMenu({ items }: { items: MenuItem[] }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuItems = () => [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role=menuitem]:not([disabled])') ?? [])];

  useEffect(() => {
    if (!open) return;
    menuItems()[0]?.focus();
    const away = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const list = menuItems();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    const go = (i: number) => list[(i + list.length) % list.length]?.focus();
    if (e.key === 'ArrowDown') go(at + 1);
    else if (e.key === 'ArrowUp') go(at - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(list.length - 1);
    else if (e.key === 'Escape') close();
    else if (e.key === 'Tab') setOpen(false);
    else return;
    if (e.key !== 'Tab') e.preventDefault();
  };

  return (
    <div className="file-menu">
      <button type="button" ref={button} aria-haspopup="menu" aria-expanded={open} aria-controls={open ? 'file-menu' : undefined}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}>
        File
      </button>
      {open && (
        <div role="menu" id="file-menu" aria-label="File" ref={menu} onKeyDown={onKey}>
          {items.map((it) => (
            <Fragment key={it.label}>
              {it.separated && <div role="separator" className="menu-separator" />}
              <button type="button" role="menuitem" disabled={it.disabled} title={it.title} tabIndex={-1}
                onClick={() => {
                  close();
                  it.run();
                }}>
                {it.label}
              </button>
            </Fragment>
          ))}
        </div>
      )}
    </div>
  );
}
