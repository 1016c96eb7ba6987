/* EduPortal admin: the rich text editor, written here (no external script may load).
   Progressive: without JavaScript the textarea holds HTML and the server sanitises it. */
(function () {
  "use strict";

  var ALLOWED = { P: [], BR: [], H2: [], H3: [], H4: [], STRONG: [], B: [], EM: [], I: [], U: [], S: [], SUB: [], SUP: [],
    UL: [], OL: ["start"], LI: [], BLOCKQUOTE: [], HR: [], PRE: [], CODE: [], FIGURE: [], FIGCAPTION: [],
    A: ["href", "title"], IMG: ["src", "alt", "width", "height"], TABLE: [], CAPTION: [], THEAD: [], TBODY: [],
    TFOOT: [], TR: [], TH: ["colspan", "rowspan", "scope"], TD: ["colspan", "rowspan"] };
  /* What Word and web pages write, renamed to what the server keeps. */
  var RENAME = { H1: "H2", H5: "H4", H6: "H4", B: "STRONG", I: "EM", DIV: "P", STRIKE: "S", DEL: "S", INS: "U" };
  var DROP = { SCRIPT: 1, STYLE: 1, META: 1, LINK: 1, TITLE: 1, XML: 1, IFRAME: 1, OBJECT: 1, EMBED: 1, SVG: 1, MATH: 1,
    TEMPLATE: 1, NOSCRIPT: 1, FORM: 1, INPUT: 1, BUTTON: 1, SELECT: 1, TEXTAREA: 1, HEAD: 1 };

  /* Cleans pasted HTML (Word, web pages) to the same allow-list the server applies. */
  function clean(html) {
    // Inline handlers and styles are removed before parsing, so not even the inert parse meets them.
    html = html.replace(/<(style|script)\b[\s\S]*?<\/\1\s*>/gi, "");
    html = html.replace(/\s(on[a-z]+|style)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, "");
    var doc = new DOMParser().parseFromString(html, "text/html");
    function walk(node) {
      var child = node.firstChild;
      while (child) {
        var next = child.nextSibling;
        if (child.nodeType === 8) { node.removeChild(child); }
        else if (child.nodeType === 1) {
          var name = child.nodeName.toUpperCase();
          if (DROP[name] || name.indexOf(":") >= 0 && name !== "O:P") {
            node.removeChild(child);
          } else {
            walk(child);
            if (RENAME[name]) {
              var renamed = doc.createElement(RENAME[name]);
              while (child.firstChild) { renamed.appendChild(child.firstChild); }
              node.replaceChild(renamed, child);
              child = renamed;
              name = RENAME[name];
            }
            if (name === "IMG" && !/^(https?:\/\/|\/)/i.test(child.getAttribute("src") || "")) {
              node.removeChild(child);  // pasted images must come from the media library
              child = next;
              continue;
            }
            if (ALLOWED[name]) {
              for (var i = child.attributes.length - 1; i >= 0; i--) {
                var attr = child.attributes[i].name.toLowerCase();
                if (ALLOWED[name].indexOf(attr) < 0) { child.removeAttribute(child.attributes[i].name); }
              }
            } else {
              while (child.firstChild) { node.insertBefore(child.firstChild, child); }
              node.removeChild(child);
            }
          }
        }
        child = next;
      }
    }
    walk(doc.body);
    return doc.body.innerHTML;
  }

  function button(label, title, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.title = title;
    b.setAttribute("aria-label", title);
    b.addEventListener("click", action);
    return b;
  }

  function setUp(textarea) {
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    var area = document.createElement("div");
    area.className = "editor-area prose";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    if (label) {
      if (!label.id) { label.id = textarea.id + "-label"; }
      area.setAttribute("aria-labelledby", label.id);
    }
    var described = textarea.getAttribute("aria-describedby");
    if (described) { area.setAttribute("aria-describedby", described); }
    area.innerHTML = textarea.value.trim() ? textarea.value : "<p><br></p>";

    var toolbar = document.createElement("div");
    toolbar.className = "editor-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Định dạng nội dung");
    var source = false;

    function exec(command, value) {
      return function () {
        if (source) { return; }
        area.focus();
        document.execCommand(command, false, value || null);
      };
    }
    toolbar.appendChild(button("Đoạn", "Đoạn văn", exec("formatBlock", "P")));
    toolbar.appendChild(button("T2", "Tiêu đề cấp 2", exec("formatBlock", "H2")));
    toolbar.appendChild(button("T3", "Tiêu đề cấp 3", exec("formatBlock", "H3")));
    toolbar.appendChild(button("Đậm", "Chữ đậm", exec("bold")));
    toolbar.appendChild(button("Nghiêng", "Chữ nghiêng", exec("italic")));
    toolbar.appendChild(button("• Danh sách", "Danh sách dấu chấm", exec("insertUnorderedList")));
    toolbar.appendChild(button("1. Danh sách", "Danh sách đánh số", exec("insertOrderedList")));
    toolbar.appendChild(button("Trích dẫn", "Đoạn trích dẫn", exec("formatBlock", "BLOCKQUOTE")));
    toolbar.appendChild(button("Liên kết", "Chèn liên kết", function () {
      var url = window.prompt("Địa chỉ liên kết (https://… hoặc /duong-dan):", "https://");
      if (url && /^(https?:\/\/|\/|#|mailto:)/i.test(url.trim())) { exec("createLink", url.trim())(); }
      else if (url) { window.alert("Chỉ nhận liên kết bắt đầu bằng https://, http://, / hoặc mailto:."); }
    }));
    toolbar.appendChild(button("Bỏ liên kết", "Bỏ liên kết", exec("unlink")));
    toolbar.appendChild(button("Ảnh", "Chèn ảnh từ thư viện", function () {
      var url = window.prompt("Địa chỉ ảnh trong thư viện (ví dụ /tep/…):", "/tep/");
      if (!url) { return; }
      var alt = window.prompt("Mô tả ảnh cho người khiếm thị (bắt buộc):", "");
      if (!alt || !alt.trim()) { window.alert("Ảnh cần có mô tả (văn bản thay thế)."); return; }
      var img = document.createElement("img");
      img.src = url.trim();
      img.alt = alt.trim();
      exec("insertHTML", img.outerHTML)();
    }));
    toolbar.appendChild(button("Bảng", "Chèn bảng", function () {
      var rows = parseInt(window.prompt("Số hàng:", "3"), 10), cols = parseInt(window.prompt("Số cột:", "3"), 10);
      if (!(rows > 0 && rows <= 50 && cols > 0 && cols <= 12)) { return; }
      var html = "<table><thead><tr>";
      for (var c = 0; c < cols; c++) { html += "<th scope=\"col\">Cột " + (c + 1) + "</th>"; }
      html += "</tr></thead><tbody>";
      for (var r = 0; r < rows; r++) { html += "<tr>" + new Array(cols + 1).join("<td>&nbsp;</td>") + "</tr>"; }
      exec("insertHTML", html + "</tbody></table><p></p>")();
    }));
    var toggle = button("HTML", "Xem và sửa mã HTML", function () {
      source = !source;
      toggle.setAttribute("aria-pressed", String(source));
      if (source) { textarea.value = area.innerHTML; }
      else { area.innerHTML = clean(textarea.value); }
      textarea.hidden = !source;
      area.hidden = source;
      (source ? textarea : area).focus();
    });
    toggle.setAttribute("aria-pressed", "false");
    toolbar.appendChild(toggle);

    area.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      if (!data) { return; }
      var html = data.getData("text/html");
      if (!html) { return; }
      event.preventDefault();
      document.execCommand("insertHTML", false, clean(html));
    });

    textarea.hidden = true;
    textarea.classList.add("editor-source");
    textarea.parentNode.insertBefore(toolbar, textarea);
    textarea.parentNode.insertBefore(area, textarea);
    if (label) { label.addEventListener("click", function () { if (!source) { area.focus(); } }); }
    textarea.form.addEventListener("submit", function () {
      if (!source) { textarea.value = area.innerHTML; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    try { document.execCommand("defaultParagraphSeparator", false, "p"); } catch (e) { /* older browsers */ }
    var areas = document.querySelectorAll("textarea[data-editor=rich]");
    for (var i = 0; i < areas.length; i++) { setUp(areas[i]); }
  });
})();
