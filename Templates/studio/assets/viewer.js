// A WebGL view of a binary STL: drag to turn, wheel to zoom, a section plane along z.
"use strict";

(function () {
  const VERTEX = [
    "attribute vec3 position;",
    "attribute vec3 normal;",
    "uniform mat4 view;",
    "uniform mat4 projection;",
    "varying vec3 shadeNormal;",
    "varying float height;",
    "void main() {",
    "  shadeNormal = mat3(view) * normal;",
    "  height = position.z;",
    "  gl_Position = projection * view * vec4(position, 1.0);",
    "}",
  ].join("\n");

  const FRAGMENT = [
    "precision mediump float;",
    "varying vec3 shadeNormal;",
    "varying float height;",
    "uniform float section;",
    "void main() {",
    "  if (height > section) discard;",
    "  vec3 n = normalize(shadeNormal);",
    "  if (!gl_FrontFacing) n = -n;",
    "  vec3 light = normalize(vec3(0.4, 0.6, 0.7));",
    "  float diffuse = max(dot(n, light), 0.0);",
    "  vec3 base = gl_FrontFacing ? vec3(0.80, 0.62, 0.38) : vec3(0.55, 0.20, 0.18);",
    "  gl_FragColor = vec4(base * (0.25 + 0.75 * diffuse), 1.0);",
    "}",
  ].join("\n");

  function compile(gl, type, source) {
    const shader = gl.createShader(type);
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(shader));
    return shader;
  }

  // Positions and face normals, three vertices per triangle, centred on the part.
  function parseSTL(buffer) {
    if (buffer.byteLength < 84) throw new Error("the STL file is too short");
    const data = new DataView(buffer);
    const count = data.getUint32(80, true);
    if (84 + count * 50 !== buffer.byteLength) throw new Error("only binary STL files are shown here");
    const positions = new Float32Array(count * 9);
    const normals = new Float32Array(count * 9);
    const low = [Infinity, Infinity, Infinity], high = [-Infinity, -Infinity, -Infinity];
    for (let t = 0; t < count; t++) {
      const base = 84 + t * 50;
      const v = [];
      for (let k = 0; k < 9; k++) v.push(data.getFloat32(base + 12 + 4 * k, true));
      const ux = v[3] - v[0], uy = v[4] - v[1], uz = v[5] - v[2];
      const wx = v[6] - v[0], wy = v[7] - v[1], wz = v[8] - v[2];
      let nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
      const length = Math.hypot(nx, ny, nz) || 1;
      nx /= length; ny /= length; nz /= length;
      for (let k = 0; k < 9; k++) {
        positions[t * 9 + k] = v[k];
        low[k % 3] = Math.min(low[k % 3], v[k]);
        high[k % 3] = Math.max(high[k % 3], v[k]);
      }
      for (let j = 0; j < 3; j++) {
        normals[t * 9 + 3 * j] = nx; normals[t * 9 + 3 * j + 1] = ny; normals[t * 9 + 3 * j + 2] = nz;
      }
    }
    const centre = [0, 1, 2].map(function (a) { return (low[a] + high[a]) / 2; });
    for (let i = 0; i < positions.length; i++) positions[i] -= centre[i % 3];
    const radius = Math.hypot(high[0] - low[0], high[1] - low[1], high[2] - low[2]) / 2 || 1;
    return { positions: positions, normals: normals, count: count, radius: radius,
             zLow: low[2] - centre[2], zHigh: high[2] - centre[2] };
  }

  function multiply(a, b) {
    const out = new Float32Array(16);
    for (let c = 0; c < 4; c++) for (let r = 0; r < 4; r++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += a[k * 4 + r] * b[c * 4 + k];
      out[c * 4 + r] = sum;
    }
    return out;
  }

  function rotation(yaw, pitch) {
    const cy = Math.cos(yaw), sy = Math.sin(yaw), cp = Math.cos(pitch), sp = Math.sin(pitch);
    const turn = new Float32Array([cy, 0, -sy, 0, 0, 1, 0, 0, sy, 0, cy, 0, 0, 0, 0, 1]);
    const tilt = new Float32Array([1, 0, 0, 0, 0, cp, sp, 0, 0, -sp, cp, 0, 0, 0, 0, 1]);
    const zUp = new Float32Array([1, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
    return multiply(tilt, multiply(turn, zUp));
  }

  function perspective(fovy, aspect, near, far) {
    const f = 1 / Math.tan(fovy / 2), d = near - far;
    return new Float32Array([f / aspect, 0, 0, 0, 0, f, 0, 0, 0, 0, (far + near) / d, -1, 0, 0, 2 * far * near / d, 0]);
  }

  function start(canvas, sectionInput, status) {
    const gl = canvas.getContext("webgl", { preserveDrawingBuffer: true, antialias: true });
    if (!gl) { status.textContent = "This browser has no WebGL; download the mesh instead."; return; }
    const program = gl.createProgram();
    gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, VERTEX));
    gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, FRAGMENT));
    gl.linkProgram(program);
    gl.useProgram(program);
    const state = { yaw: 0.6, pitch: 0.5, distance: 3, mesh: null, section: 1 };

    function draw() {
      if (!state.mesh) return;
      const m = state.mesh;
      gl.viewport(0, 0, canvas.width, canvas.height);
      gl.clearColor(0.96, 0.96, 0.95, 1);
      gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
      gl.enable(gl.DEPTH_TEST);
      const scale = 1 / m.radius;
      const scaleMatrix = new Float32Array([scale, 0, 0, 0, 0, scale, 0, 0, 0, 0, scale, 0, 0, 0, 0, 1]);
      const view = multiply(new Float32Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, -state.distance, 1]),
                            multiply(rotation(state.yaw, state.pitch), scaleMatrix));
      gl.uniformMatrix4fv(gl.getUniformLocation(program, "view"), false, view);
      gl.uniformMatrix4fv(gl.getUniformLocation(program, "projection"), false,
                          perspective(0.7, canvas.width / canvas.height, 0.05, 50));
      const cut = m.zLow + (m.zHigh - m.zLow) * state.section + 1e-6 * m.radius;
      gl.uniform1f(gl.getUniformLocation(program, "section"), cut);
      gl.drawArrays(gl.TRIANGLES, 0, m.count * 3);
    }

    function upload(mesh) {
      const attributes = [["position", mesh.positions], ["normal", mesh.normals]];
      attributes.forEach(function (pair) {
        const buffer = gl.createBuffer();
        gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
        gl.bufferData(gl.ARRAY_BUFFER, pair[1], gl.STATIC_DRAW);
        const location = gl.getAttribLocation(program, pair[0]);
        gl.enableVertexAttribArray(location);
        gl.vertexAttribPointer(location, 3, gl.FLOAT, false, 0, 0);
      });
      state.mesh = mesh;
    }

    let dragging = null;
    canvas.addEventListener("pointerdown", function (event) {
      dragging = { x: event.clientX, y: event.clientY };
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!dragging) return;
      state.yaw += (event.clientX - dragging.x) * 0.01;
      state.pitch = Math.max(-1.5, Math.min(1.5, state.pitch + (event.clientY - dragging.y) * 0.01));
      dragging = { x: event.clientX, y: event.clientY };
      draw();
    });
    canvas.addEventListener("pointerup", function () { dragging = null; });
    canvas.addEventListener("wheel", function (event) {
      event.preventDefault();
      state.distance = Math.max(1.2, Math.min(10, state.distance * Math.exp(event.deltaY * 0.001)));
      draw();
    }, { passive: false });
    if (sectionInput) sectionInput.addEventListener("input", function () {
      state.section = Number(sectionInput.value) / 100;
      draw();
    });

    // About 3 million triangles (150 MB of STL) is what a browser tab turns around smoothly;
    // larger meshes (kept whole with --max-triangles 0) are left to the download and the renders.
    const bytes = Number(canvas.dataset.meshBytes || 0);
    if (bytes > 150e6) {
      status.textContent = "The mesh has " + Math.round((bytes - 84) / 50).toLocaleString()
        + " triangles, too many to turn around here: download it, or see the renders below.";
      return;
    }
    fetch(canvas.dataset.mesh).then(function (response) {
      if (!response.ok) throw new Error("the mesh could not be loaded (" + response.status + ")");
      return response.arrayBuffer();
    }).then(function (buffer) {
      const mesh = parseSTL(buffer);
      upload(mesh);
      draw();
      status.textContent = mesh.count.toLocaleString() + " triangles · drag to turn, wheel to zoom";
      canvas.dataset.ready = "true";
    }).catch(function (error) {
      status.textContent = error.message;
    });
  }

  window.MeshViewer = { start: start, parseSTL: parseSTL };
})();
