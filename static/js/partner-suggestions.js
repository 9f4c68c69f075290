// Suggests partners in a filter form's partner box as the reader types.
//
// Each <input data-suggest="…"> (partnerships.filters.PartnerInput) gets a
// <datalist> that this fills from the suggestions address: ?q=isr answers
// {"partners": [{"name": "Israel", "slug": "israel"}, …]}. Each suggestion's
// value is the slug the address uses, its label the partner's name. Without
// JavaScript the box still takes a name or a slug; nothing here is needed.
"use strict";

(function () {
  const WAIT_MS = 150; // after the last keystroke, so a word typed is one request
  const MAX_LENGTH = 200; // longer is refused by the server (partnerships.suggestions)

  function suggest(input) {
    const list = document.createElement("datalist");
    list.id = `${input.id}-suggestions`;
    input.after(list);
    input.setAttribute("list", list.id);

    let timer = null;
    let pending = null;
    let asked = null;

    function fill(partners) {
      list.replaceChildren(
        ...partners.map((partner) => {
          const option = document.createElement("option");
          option.value = partner.slug;
          option.label = partner.name;
          return option;
        }),
      );
    }

    function ask() {
      const text = input.value.trim();
      if (text === asked) return;
      asked = text;
      if (pending) pending.abort();
      if (!text || text.length > MAX_LENGTH) {
        fill([]);
        return;
      }
      pending = new AbortController();
      const url = new URL(input.dataset.suggest, window.location.href);
      url.searchParams.set("q", text);
      fetch(url, { headers: { Accept: "application/json" }, signal: pending.signal })
        .then((response) => (response.ok ? response.json() : { partners: [] }))
        .then((data) => fill(Array.isArray(data.partners) ? data.partners : []))
        .catch(() => {
          // Aborted by a newer keystroke, or offline: the box works without suggestions.
        });
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(ask, WAIT_MS);
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(suggest);
})();
