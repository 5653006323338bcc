// The Ask page: a name field's completion list is refilled from /api/names as the name is typed (within the
// issuer chosen in the same form; while the server still reads the names, asked again when it says to). The forms
// are plain GET forms and work without this script.
(function () {
  "use strict";
  var pending = null;
  var asked = 0;

  function refill(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var query = new URLSearchParams({ kind: input.dataset.kind, prefix: input.value.trim(), limit: "30" });
    var issuer = input.form && input.form.elements.namedItem("issuer");
    if (issuer && issuer.value) { query.set("issuer", issuer.value); }
    var ticket = ++asked;
    fetch("/api/names?" + query.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 503 && ticket === asked) {  // the names are still being read: ask again later
          var wait = Math.min(parseInt(response.headers.get("Retry-After"), 10) || 5, 30);
          clearTimeout(pending);
          pending = setTimeout(function () {
            if (document.activeElement === input) { refill(input); }
          }, wait * 1000);
        }
        return response.ok ? response.json() : [];
      })
      .then(function (names) {
        if (ticket !== asked) { return; }  // a later keystroke asked again
        var options = names.map(function (name) {
          var option = document.createElement("option");
          option.value = name.label;
          option.label = (name.label !== name.name ? name.name + " · " : "") + name.issuer;
          return option;
        });
        list.replaceChildren.apply(list, options);
      })
      .catch(function () { /* the list keeps what it had */ });
  }

  document.querySelectorAll("input[data-kind]").forEach(function (input) {
    input.addEventListener("input", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { refill(input); }, 120);
    });
    input.addEventListener("focus", function () { refill(input); });
  });
})();
