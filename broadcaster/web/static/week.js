// The week board: the filter applies as soon as a choice changes (the button stays for
// keyboards and for pages without scripts).
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form && event.target.matches("select")) form.requestSubmit();
});
