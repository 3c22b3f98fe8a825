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
// Ask first: a button with data-confirm asks in a dialog and sends confirm=1; without this
// script the server shows the same question as a page step. (Bound once per element.)
(function () {
  Array.prototype.forEach.call(document.querySelectorAll('button[data-confirm]'), function (b) {
    if (b.getAttribute('data-confirm-bound')) return;
    b.setAttribute('data-confirm-bound', '1');
    b.addEventListener('click', function (e) {
      if (!b.form) return;
      if (!window.confirm(b.getAttribute('data-confirm'))) { e.preventDefault(); return; }
      var f = b.form, c = f.querySelector('input[name="confirm"]');
      if (!c) { c = document.createElement('input'); c.type = 'hidden'; c.name = 'confirm'; f.appendChild(c); }
      c.value = '1';
    });
  });
})();
// Upload progress: forms marked data-progress send their files with XHR and show a <progress>;
// the answer (the next page, or the form again with its errors) replaces the document.
(function () {
  if (!window.FormData || !window.XMLHttpRequest) return;
  Array.prototype.forEach.call(document.querySelectorAll('form[data-progress]'), function (form) {
    if (form.getAttribute('data-progress-bound')) return;
    form.setAttribute('data-progress-bound', '1');
    form.addEventListener('submit', function (e) {
      var files = Array.prototype.some.call(form.querySelectorAll('input[type=file]'), function (i) { return i.files && i.files.length; });
      var box = form.querySelector('.upload-progress');
      if (!files || !box) return;
      e.preventDefault();
      var bar = box.querySelector('progress'), label = box.querySelector('span');
      var btn = form.querySelector('button[type=submit]');
      box.hidden = false;
      if (btn) btn.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.upload.onprogress = function (ev) {
        if (!ev.lengthComputable) return;
        var pct = Math.round(ev.loaded * 100 / ev.total);
        bar.value = pct;
        label.textContent = pct < 100 ? 'Mengunggah… ' + pct + '%' : 'Memproses di server…';
      };
      xhr.onload = function () {
        var url = xhr.responseURL || form.action;
        document.open();
        document.write(xhr.responseText);
        document.close();
        try { history.replaceState(null, '', url); } catch (err) { /* keep the address */ }
        var refused = document.querySelector('form .alert.error, [autofocus]');
        if (refused) refused.scrollIntoView({ block: 'start' });
      };
      xhr.onerror = function () {
        label.textContent = 'Unggahan gagal. Periksa sambungan, lalu coba lagi.';
        if (btn) btn.disabled = false;
      };
      xhr.send(new FormData(form));
    });
  });
})();
