// A button marked data-print prints the page (the print sheets and the receipt; no inline handlers).
document.addEventListener("click", function (event) {
  if (event.target instanceof Element && event.target.closest("[data-print]")) window.print();
});
