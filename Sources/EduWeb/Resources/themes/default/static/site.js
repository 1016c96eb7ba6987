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
  /* The contact form's proof of work: fetch a fresh challenge, find a nonce whose SHA-256 starts
     with the asked number of zero bits, then send. */
  function zeroBits(bytes) {
    var count = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { count += 8; continue; }
      for (var bit = 7; bit >= 0 && !(bytes[i] & (1 << bit)); bit--) { count++; }
      break;
    }
    return count;
  }
  function solve(token, bits) {
    var encoder = new TextEncoder();
    var nonce = 0;
    function next() {
      return crypto.subtle.digest("SHA-256", encoder.encode(token + ":" + nonce)).then(function (digest) {
        if (zeroBits(new Uint8Array(digest)) >= bits) { return String(nonce); }
        nonce++;
        return next();
      });
    }
    return next();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.contact-form");
    if (form && window.crypto && crypto.subtle) {
      var status = document.getElementById("pow-status");
      form.addEventListener("submit", function (event) {
        if (form.elements["pow-nonce"].value) { return; }
        event.preventDefault();
        status.textContent = "Đang xác minh chống thư rác…";
        fetch(form.getAttribute("data-challenge"), { credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (challenge) {
            return solve(challenge.token, challenge.bits).then(function (nonce) {
              form.elements["pow-token"].value = challenge.token;
              form.elements["pow-nonce"].value = nonce;
              status.textContent = "Đang gửi…";
              form.submit();
            });
          })
          .catch(function () { status.textContent = "Không xác minh được. Vui lòng thử lại."; });
      });
    }
  });
  /* The navigation works without this script (every menu is a <details>); with it, one group
     is open at a time, and Escape or a click elsewhere closes an open one. */
  document.addEventListener("DOMContentLoaded", function () {
    var groups = Array.prototype.slice.call(document.querySelectorAll(".nav-group"));
    if (!groups.length) { return; }
    function closeAll(except) {
      groups.forEach(function (group) { if (group !== except) { group.open = false; } });
    }
    groups.forEach(function (group) {
      group.addEventListener("toggle", function () { if (group.open) { closeAll(group); } });
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest(".nav-group")) { closeAll(null); }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      var open = groups.filter(function (group) { return group.open; })[0];
      if (open) { open.open = false; open.querySelector("summary").focus(); }
    });
  });
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
