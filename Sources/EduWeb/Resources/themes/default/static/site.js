/* Public pages: larger text and high contrast (TT 32/2017 asks for both), remembered per browser.
   The page works without this script; the switches appear only when it runs. */
(function () {
  "use strict";
  var root = document.documentElement;
  var sizes = ["", "text-lg", "text-xl"];
  function load(key) { try { return window.localStorage.getItem(key); } catch (e) { return null; } }
  function save(key, value) { try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ } }
  var size = Math.max(0, sizes.indexOf(load("eduportal-text") || ""));
  var contrast = load("eduportal-contrast") === "1";
  function apply() {
    sizes.forEach(function (name) { if (name) { root.classList.remove(name); } });
    if (sizes[size]) { root.classList.add(sizes[size]); }
    root.classList.toggle("high-contrast", contrast);
    var button = document.querySelector("[data-contrast]");
    if (button) { button.setAttribute("aria-pressed", String(contrast)); }
  }
  apply();
  document.addEventListener("DOMContentLoaded", function () {
    var tools = document.querySelector(".display-tools");
    if (!tools) { return; }
    tools.hidden = false;
    tools.addEventListener("click", function (event) {
      var target = event.target;
      if (target.getAttribute("data-text-size") === "up") { size = Math.min(sizes.length - 1, size + 1); }
      else if (target.getAttribute("data-text-size") === "down") { size = Math.max(0, size - 1); }
      else if (target.hasAttribute("data-contrast")) { contrast = !contrast; }
      else { return; }
      save("eduportal-text", sizes[size]);
      save("eduportal-contrast", contrast ? "1" : "0");
      apply();
    });
  });
})();
