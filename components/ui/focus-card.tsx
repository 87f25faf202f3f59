import type { ReactNode, Ref } from "react";

/**
 * A <section> named by its heading (`titleId`) that the page moves focus to when it appears (tabIndex -1), so a
 * screen reader announces the outcome that replaced the form.
 */
export function FocusCard({
  cardRef,
  testId,
  titleId,
  className,
  children,
}: {
  cardRef: Ref<HTMLElement>;
  testId: string;
  titleId: string;
  className: string;
  children: ReactNode;
}) {
  return (
    <section ref={cardRef} tabIndex={-1} data-testid={testId} aria-labelledby={titleId} className={className}>
      {children}
    </section>
  );
}
