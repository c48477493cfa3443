/* Copy buttons for the "Cite" controls and post permalinks.
 * Progressive enhancement: without this script the citations are plain, selectable text.
 * No inline handlers and no HTML from strings, so it runs under a strict Content-Security-Policy. */
(function () {
  "use strict";

  function selectContents(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function flash(button, text) {
    var label = button.dataset.label;
    button.textContent = text;
    window.setTimeout(function () { button.textContent = label; }, 1600);
  }

  function copy(button, plain, html, element) {
    var done = function () { flash(button, "Copied"); };
    var fallback = function () { selectContents(element); flash(button, "Selected: press Ctrl+C"); };
    if (!navigator.clipboard || !window.isSecureContext) { fallback(); return; }
    if (html && window.ClipboardItem && navigator.clipboard.write) {
      var item = new ClipboardItem({
        "text/plain": new Blob([plain], { type: "text/plain" }),
        "text/html": new Blob([html], { type: "text/html" })
      });
      navigator.clipboard.write([item]).then(done, fallback);
    } else {
      navigator.clipboard.writeText(plain).then(done, fallback);
    }
  }

  function button(label, title) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "cite-copy-button";
    b.textContent = label;
    b.dataset.label = label;
    b.title = title;
    return b;
  }

  function addButton(element) {
    var b = button("Copy", "Copy to the clipboard");
    b.addEventListener("click", function () {
      if (element.tagName === "A") {
        copy(b, element.href, null, element);          // the absolute URL, resolved by the browser
      } else if (element.classList.contains("cite-text")) {
        copy(b, element.innerText.trim(), element.innerHTML, element);  // keeps the style's italics
      } else {
        var pre = element.querySelector("pre") || element;
        copy(b, pre.innerText.replace(/\n$/, ""), null, pre);
      }
    });
    element.insertAdjacentElement(element.tagName === "A" ? "afterend" : "beforebegin", b);
  }

  function addPermalinkButton(link) {
    var b = button("Copy link", "Copy the permanent link to this post");
    b.classList.add("post-copy-link");
    b.addEventListener("click", function () { copy(b, link.href, null, link); });
    link.insertAdjacentElement("afterend", b);
  }

  function init() {
    document.querySelectorAll(".cite .cite-copy").forEach(addButton);
    document.querySelectorAll("a.post-permalink").forEach(addPermalinkButton);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
