// The register's table rendered to HTML in the loader: it only shows records, so the rows reach
// the browser once, as the page's HTML (components/server-markup.tsx), instead of a second time
// as data to hydrate from, and the table's components stay out of the page's JavaScript.
import { renderToStaticMarkup } from 'react-dom/server';
import { RegisterTable, type RegisterEntryView } from './register-entries';

export function registerTableMarkup(rows: RegisterEntryView[], options: { caption: string; showPartner?: boolean; showEventTitle?: boolean }): string {
  return renderToStaticMarkup(<RegisterTable rows={rows} {...options} />);
}
