// Etalase: small progressive enhancements. Every page works without this script.
(function () {
  // Kelurahan picker: show only the kelurahan of the chosen kecamatan.
  var kec = document.getElementById('kecamatan_filter');
  var kel = document.getElementById('kelurahan_code');
  if (kec && kel) {
    var sync = function () {
      var k = kec.value;
      Array.prototype.forEach.call(kel.querySelectorAll('optgroup'), function (g) {
        g.hidden = !!k && g.getAttribute('data-kecamatan') !== k;
      });
    };
    kec.addEventListener('change', sync);
    sync();
  }
  // "Use my location" fills latitude/longitude from the phone's GPS.
  var gps = document.getElementById('use_gps');
  if (gps && navigator.geolocation) {
    gps.hidden = false;
    gps.addEventListener('click', function () {
      navigator.geolocation.getCurrentPosition(function (p) {
        document.getElementById('lat').value = p.coords.latitude.toFixed(6);
        document.getElementById('lon').value = p.coords.longitude.toFixed(6);
      });
    });
  }
})();
// Search as you type: fetch the results part of the same page; the form still works without it.
(function () {
  var form = document.getElementById('search-form');
  var results = document.getElementById('results');
  if (!form || !results || !window.fetch) return;
  var timer = null, seq = 0;
  function run() {
    var params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (k) { if (!params.get(k)) params.delete(k); });
    var url = form.action + '?' + params.toString();
    var mine = ++seq;
    fetch(url, { headers: { 'X-Fragment': '1' } }).then(function (r) { return r.text(); }).then(function (html) {
      if (mine !== seq) return;
      results.innerHTML = html;
      history.replaceState(null, '', url);
    }).catch(function () {});
  }
  form.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 250); });
  form.addEventListener('change', function () { clearTimeout(timer); timer = setTimeout(run, 50); });
})();
