// @ts-check
// A placeholder until this view is built.

/** @type {import('../app.js').View} */
export const approvalsView = {
  id: 'approvals',
  title: 'Approvals',
  mount: (root) => {
    root.textContent = 'Approvals: not built yet';
  },
};
