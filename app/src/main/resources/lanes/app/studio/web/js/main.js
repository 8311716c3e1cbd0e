// The studio page: four views behind tabs, each a module; the tab in the address (#playground, #train, #lecture,
// #audio).
import {el} from './dom.js';
import {api} from './api.js';
import {Playground} from './playground.js';
import {Train} from './train.js';
import {Lecture} from './lecture.js';
import {AudioView} from './audio.js';
import {readHash} from './url-state.js';

const VIEWS = ['playground', 'train', 'lecture', 'audio'];
const MAKE = {
  playground: (root, info) => new Playground(root, info),
  train: (root, info) => new Train(root, info),
  lecture: root => new Lecture(root),
  audio: root => new AudioView(root),
};

async function start() {
  let info;
  try {
    info = await api('GET', '/api/info');
  } catch (e) {
    document.body.append(el('div', {class: 'error'}, e.message));
    return;
  }
  const made = {};
  const show = view => {
    for (const v of VIEWS) {
      document.getElementById(`view-${v}`).hidden = v !== view;
      document.querySelector(`[data-testid=tab-${v}]`).classList.toggle('selected', v === view);
    }
    if (!made[view]) {
      const root = document.getElementById(`view-${view}`);
      made[view] = MAKE[view](root, info);
    }
    if (view !== 'playground') history.replaceState(null, '', '#' + view);
  };
  for (const v of VIEWS) {
    document.querySelector(`[data-testid=tab-${v}]`).addEventListener('click', () => show(v));
  }
  const first = readHash().view;
  show(VIEWS.includes(first) ? first : 'playground');
}

start();
