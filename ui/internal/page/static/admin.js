// Maillage: the editors' pages. Everything works without this script;
// with it, the event form shows only the fields of the chosen repetition.
(function () {
  'use strict';
  var radios = document.querySelectorAll('input[name=repetition]');
  if (!radios.length) {
    return;
  }
  var parts = { hebdo: ['rep-hebdo', 'rep-fin'], mensuel: ['rep-mensuel', 'rep-fin'], regle: ['rep-regle'] };
  var all = ['rep-hebdo', 'rep-mensuel', 'rep-fin', 'rep-regle'];
  function update() {
    var chosen = document.querySelector('input[name=repetition]:checked');
    var show = parts[chosen ? chosen.value : ''] || [];
    all.forEach(function (id) {
      var el = document.getElementById(id);
      if (el) {
        el.hidden = show.indexOf(id) < 0;
      }
    });
  }
  radios.forEach(function (r) { r.addEventListener('change', update); });
  update();
})();
