/** An LCD-style number, as Mosixview showed the speed next to its slider. */
export function Lcd({ value, label }: { value: number | undefined; label: string }) {
  return (
    <output className="lcd" aria-label={label}>
      {value === undefined ? '-----' : String(Math.round(value)).padStart(5, ' ')}
    </output>
  );
}
