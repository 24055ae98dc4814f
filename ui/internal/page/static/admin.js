// Maillage: the editors' pages. Everything works without this script;
// with it, the event form shows only the fields of the chosen repetition,
// long lists (types of place, the event's place) get a filter box, and
// the place form gets a map to place its marker. Every text shown comes
// from the page (data- attributes), so that it is translated with the rest.
(function () {
  'use strict';

  // The event form: only the fields of the chosen repetition.
  var radios = document.querySelectorAll('input[name=repetition]');
  if (radios.length) {
    var parts = { hebdo: ['rep-hebdo', 'rep-fin'], mensuel: ['rep-mensuel', 'rep-fin'], regle: ['rep-regle'] };
    var all = ['rep-hebdo', 'rep-mensuel', 'rep-fin', 'rep-regle'];
    var update = function () {
      var chosen = document.querySelector('input[name=repetition]:checked');
      var show = parts[chosen ? chosen.value : ''] || [];
      all.forEach(function (id) {
        var el = document.getElementById(id);
        if (el) {
          el.hidden = show.indexOf(id) < 0;
        }
      });
    };
    radios.forEach(function (r) { r.addEventListener('change', update); });
    update();
  }

  // fold writes text the way the filter compares it: lower case, without
  // accents.
  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  // Filter boxes: input[data-filter] names the list it filters, either a
  // block of checkboxes (each in a .check) or a select. Ticked boxes and
  // the selected option always stay shown.
  document.querySelectorAll('input[data-filter]').forEach(function (input) {
    var list = document.getElementById(input.dataset.filter);
    var count = document.getElementById(input.getAttribute('aria-describedby'));
    if (!list) {
      return;
    }
    var isSelect = list.tagName === 'SELECT';
    var items = isSelect
      ? Array.prototype.filter.call(list.options, function (o) { return o.value !== ''; })
      : Array.prototype.slice.call(list.querySelectorAll('.check'));
    var texts = items.map(function (el) {
      var box = isSelect ? el : el.querySelector('input');
      return fold(el.textContent + ' ' + box.value);
    });
    input.parentNode.hidden = false;
    var last = '';
    var run = function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var key = words.join(' ');
      if (key === last) {
        return;
      }
      last = key;
      var shown = 0, lastShown = null;
      items.forEach(function (el, i) {
        var keep = isSelect ? el.selected : el.querySelector('input').checked;
        var match = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
        el.hidden = !(match || keep);
        if (match) {
          shown++;
          lastShown = el;
        }
      });
      if (isSelect) {
        list.querySelectorAll('optgroup').forEach(function (g) {
          g.hidden = !Array.prototype.some.call(g.children, function (o) { return !o.hidden; });
        });
        // While filtering, the select shows its matches as a list.
        list.size = words.length ? Math.min(Math.max(shown, 2), 8) : 0;
      }
      input.dataset.single = shown === 1 && lastShown ? String(items.indexOf(lastShown)) : '';
      if (count) {
        var text = shown === 1 && count.dataset.count1 ? count.dataset.count1 : count.dataset.count;
        count.textContent = !words.length ? '' : shown === 0 ? count.dataset.none
          : text.replace('{n}', shown).replace('{total}', items.length);
      }
    };
    // A select that lists only part of the other networks' places
    // (data-search) asks the API for those matching what is typed, and
    // adds them.
    var more = isSelect && list.dataset.search && window.fetch ? list.querySelector('optgroup[data-remote]') : null;
    var timer;
    var fetchMore = function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!more || q.length < 3) {
        return;
      }
      timer = setTimeout(function () {
        fetch(list.dataset.search + '?limit=20&q=' + encodeURIComponent(q), { credentials: 'same-origin' })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (page) {
            var added = false;
            (page.items || []).forEach(function (pl) {
              if (!pl.network || pl.network.local || items.some(function (o) { return o.value === pl.id || o.value === pl.ap_id; })) {
                return;
              }
              var o = document.createElement('option');
              o.value = pl.id;
              o.textContent = pl.nom + ' (' + (pl.commune || '') + ')';
              more.appendChild(o);
              items.push(o);
              texts.push(fold(o.textContent + ' ' + o.value));
              added = true;
            });
            if (added) {
              last = null;
              run();
            }
          })
          .catch(function () {});
      }, 250);
    };
    input.addEventListener('input', run);
    input.addEventListener('input', fetchMore);
    input.addEventListener('keypress', function (e) {
      if (e.key === 'Enter') {
        e.preventDefault();
      }
    });
    // Enter in the box picks the only match; it never sends the form.
    input.addEventListener('keydown', function (e) {
      if (e.key !== 'Enter') {
        return;
      }
      e.preventDefault();
      var only = input.dataset.single ? items[+input.dataset.single] : null;
      if (!only) {
        return;
      }
      if (isSelect) {
        only.selected = true;
        list.focus();
      } else {
        only.querySelector('input').focus();
      }
    });
  });

  // The place form's map: a click or a drag of the marker fills the
  // latitude and longitude fields; typed coordinates move the marker.
  // Leaflet (150 kB of script and its style sheet) loads only when the
  // map comes near the screen, as on the public pages.
  var box = document.getElementById('carte-lieu');
  var latIn = document.getElementById('latitude'), lonIn = document.getElementById('longitude');
  if (box && box.dataset.leaflet && latIn && lonIn) {
    var block = document.getElementById('carte-lieu-bloc');
    if (block) {
      block.hidden = false;
    }
    var started = false;
    var load = function () {
      if (started) { return; }
      started = true;
      var waiting = 2;
      var ready = function () { if (--waiting === 0) { drawPlaceMap(box, latIn, lonIn); } };
      var css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = box.dataset.leafletCss;
      css.onload = ready;
      document.head.appendChild(css);
      var js = document.createElement('script');
      js.src = box.dataset.leaflet;
      js.onload = ready;
      document.head.appendChild(js);
    };
    if (!window.IntersectionObserver) {
      load();
    } else {
      var seen = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (e.isIntersecting) { seen.disconnect(); load(); }
        });
      }, { rootMargin: '200px 0px' });
      seen.observe(box);
    }
  }

  function drawPlaceMap(box, latIn, lonIn) {
    var start = box.dataset.center.split(',').map(parseFloat);
    var map = L.map(box, { zoomControl: false, scrollWheelZoom: false });
    L.control.zoom({ zoomInTitle: box.dataset.zoomIn, zoomOutTitle: box.dataset.zoomOut }).addTo(map);
    map.attributionControl.setPrefix(false);
    L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
    map.setView(start, +box.dataset.zoom || 5);
    var marker = null;
    var read = function () {
      var la = parseFloat(latIn.value.replace(',', '.')), lo = parseFloat(lonIn.value.replace(',', '.'));
      return isNaN(la) || isNaN(lo) || Math.abs(la) > 90 || Math.abs(lo) > 180 ? null : L.latLng(la, lo);
    };
    var round = function (x) { return String(Math.round(x * 1e6) / 1e6); };
    var write = function (ll) {
      latIn.value = round(ll.lat);
      lonIn.value = round(ll.lng);
    };
    var put = function (ll) {
      if (marker) {
        marker.setLatLng(ll);
        return;
      }
      marker = L.marker(ll, { draggable: true, title: box.dataset.marker, alt: box.dataset.marker, keyboard: false }).addTo(map);
      marker.on('dragend', function () { write(marker.getLatLng()); });
    };
    var typed = read();
    if (typed) {
      put(typed);
    }
    map.on('click', function (e) {
      put(e.latlng);
      write(e.latlng);
    });
    [latIn, lonIn].forEach(function (el) {
      el.addEventListener('change', function () {
        var ll = read();
        if (ll) {
          put(ll);
          map.setView(ll, Math.max(map.getZoom(), 15));
        }
      });
    });
    // A map drawn in a folded section is sized when the section opens.
    var section = box.closest('details');
    if (section) {
      section.addEventListener('toggle', function () { map.invalidateSize(); });
    }
  }
})();
