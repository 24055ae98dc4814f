// Maillage: small enhancements of pages that work without JavaScript.
// Every text shown here comes from the page (data- attributes), so that
// it is translated with the rest. Nothing typed on the orientation sheet
// (a person's name, notes) is ever sent: this file makes no request with
// it and stores nothing.
(function () {
  "use strict";

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  // "Autour de moi": the browser's position replaces the commune.
  var around = $("#autour");
  if (around && navigator.geolocation) {
    around.hidden = false;
    around.addEventListener("click", function () {
      var form = around.form;
      var label = around.textContent;
      around.textContent = around.dataset.locating;
      around.disabled = true;
      navigator.geolocation.getCurrentPosition(function (pos) {
        var near = form.querySelector("input[name=near]");
        if (!near) {
          near = document.createElement("input");
          near.type = "hidden";
          near.name = "near";
          form.appendChild(near);
        }
        near.value = pos.coords.latitude.toFixed(4) + "," + pos.coords.longitude.toFixed(4);
        var ou = form.querySelector("#ou");
        if (ou) { ou.value = ""; ou.disabled = true; }
        form.submit();
      }, function () {
        around.textContent = label;
        around.disabled = false;
        var hint = $("#ou-aide");
        if (hint) { hint.textContent = around.dataset.denied; hint.setAttribute("role", "status"); }
      }, { timeout: 10000, maximumAge: 300000 });
    });
  }

  // Suggestions of the catalogue's communes, in the field's datalist.
  $$("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list || !window.fetch) { return; }
    var timer, last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2 || q === last) { return; }
      timer = setTimeout(function () {
        last = q;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), { credentials: "omit" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (names) {
            list.textContent = "";
            (names || []).forEach(function (n) {
              var o = document.createElement("option");
              o.value = n;
              list.appendChild(o);
            });
          })
          .catch(function () {});
      }, 200);
    });
  });

  // Copy buttons.
  $$("button.copy").forEach(function (b) {
    if (!navigator.clipboard) { return; }
    b.hidden = false;
    var label = b.textContent;
    b.addEventListener("click", function () {
      navigator.clipboard.writeText(b.dataset.copy).then(function () {
        b.textContent = b.dataset.done;
        setTimeout(function () { b.textContent = label; }, 2000);
      });
    });
  });

  // The orientation sheet: name and notes are copied into the printed
  // part of this page, and nowhere else.
  var who = $("#beneficiaire");
  if (who) {
    who.hidden = false;
    [["#b-nom", "#p-nom"], ["#b-notes", "#p-notes"]].forEach(function (pair) {
      var from = $(pair[0]), to = $(pair[1]);
      if (from && to) {
        from.addEventListener("input", function () { to.textContent = from.value; });
      }
    });
    var print = $("#imprimer");
    if (print) { print.addEventListener("click", function () { window.print(); }); }
  }

  // Maps: the same places as the list next to them. Leaflet (150 kB of
  // script and its style sheet) loads only when a fifth of the map is on
  // the screen, so that a phone on which the map is below the list or the
  // contact details never pays for it (its 150 ms of script would block
  // the first screen); an orientation sheet, printed as a whole, loads it
  // at once.
  var box = $("#carte");
  if (box && box.dataset.leaflet) {
    var points = [];
    $$("[data-lat]").forEach(function (el) {
      var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
      if (isNaN(lat) || isNaN(lon)) { return; }
      var link = el.querySelector("h2 a, h3 a");
      var name = link ? link.textContent : (el.querySelector("h2") || el).textContent.trim();
      points.push({ lat: lat, lon: lon, name: name, href: link ? link.getAttribute("href") : "" });
    });
    if (points.length) {
      var started = false;
      var load = function () {
        if (started) { return; }
        started = true;
        // Draw once both the script and the style sheet are there.
        var waiting = 2;
        var ready = function () { if (--waiting === 0) { draw(box, points); } };
        var css = document.createElement("link");
        css.rel = "stylesheet";
        css.href = box.dataset.leafletCss;
        css.onload = ready;
        document.head.appendChild(css);
        var js = document.createElement("script");
        js.src = box.dataset.leaflet;
        js.onload = ready;
        document.head.appendChild(js);
      };
      if (!window.IntersectionObserver || $(".sheet-places")) {
        load();
      } else {
        var seen = new IntersectionObserver(function (entries) {
          entries.forEach(function (e) {
            if (e.isIntersecting) { seen.disconnect(); load(); }
          });
        }, { threshold: 0.2 });
        seen.observe(box);
      }
    }
  }

  function draw(box, points) {
    var map = L.map(box, { zoomControl: false, scrollWheelZoom: false });
    L.control.zoom({ zoomInTitle: box.dataset.zoomIn, zoomOutTitle: box.dataset.zoomOut }).addTo(map);
    map.attributionControl.setPrefix(false);
    // On a high-density screen (most phones), tiles of the next zoom
    // level at half size, so that the map is as sharp as the text.
    L.tileLayer(box.dataset.tiles, { maxZoom: 19, detectRetina: true, attribution: box.dataset.attribution }).addTo(map);
    // Leaflet's marker without its shadow, which has no high-resolution
    // version and would be blurred on most phones.
    var icon = L.icon({ iconUrl: box.dataset.icon, iconRetinaUrl: box.dataset.iconRetina,
      iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], tooltipAnchor: [16, -28] });
    var bounds = [];
    points.forEach(function (p) {
      // Markers are not tab stops: the list gives the same places.
      var m = L.marker([p.lat, p.lon], { icon: icon, title: p.name, alt: p.name, keyboard: false }).addTo(map);
      if (p.href) {
        var a = document.createElement("a");
        a.href = p.href;
        a.textContent = p.name;
        m.bindPopup(a);
      }
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length === 1) { map.setView(bounds[0], 15); } else { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 }); }
  }
})();
