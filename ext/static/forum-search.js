// The search page with Pagefind (ext/search.py): its UI, started with the query of the theme's search box (?q=).
window.addEventListener("DOMContentLoaded", () => {
  const ui = new PagefindUI({ element: "#forum-search", showSubResults: true, resetStyles: false });
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
