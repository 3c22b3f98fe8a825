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
