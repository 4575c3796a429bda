// The sub-navigation shared by every admin page.
import { NavLink } from '@remix-run/react';

export function AdminNav() {
  return (
    <nav aria-label="Administration" className="row">
      {/* end: on an account's own page, "Users" is not the current page. */}
      <NavLink to="/admin/users" end className="button button--secondary button--small">Users</NavLink>
      <NavLink to="/admin/chapters" className="button button--secondary button--small">Chapters</NavLink>
      <NavLink to="/admin/config/positions" className="button button--secondary button--small">Positions</NavLink>
      <NavLink to="/admin/config/values" className="button button--secondary button--small">Values criteria</NavLink>
      <NavLink to="/admin/config/risk" className="button button--secondary button--small">Risk matrix</NavLink>
      <NavLink to="/admin/config/perception" className="button button--secondary button--small">Perception checklist</NavLink>
      <NavLink to="/admin/config/mou" className="button button--secondary button--small">MOU template</NavLink>
      <NavLink to="/admin/deliveries" className="button button--secondary button--small">Deliveries</NavLink>
    </nav>
  );
}
